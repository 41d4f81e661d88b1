/*
 * cli/cmd_hash.c - `vigil hash`: PDQ (or MD5/SHA-256) of image files,
 * printed as `hash_hex,quality,path` exactly like Meta's pdq-photo-hasher,
 * optionally on several threads with the output kept in input order.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "util/buf.h"
#include "vigil/digest.h"
#include "vigil/pdq.h"

#define HASH_MAX_JOBS 64

enum { TYPE_PDQ, TYPE_MD5, TYPE_SHA256 };

struct job {
    const char *path;
    char *out;              /* stdout text, or NULL on failure */
    char *err;              /* stderr text, or NULL */
    int failed;
    int done;
};

struct run {
    struct job *jobs;
    size_t n, next;
    int type, dihedral;
    vigil_pdq_options opts;
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

static char *xstrdup_buf(vgu_buf *b)
{
    char *s = vgu_buf_detach(b);

    if (s == NULL && (s = calloc(1, 1)) == NULL) {
        fputs("vigil hash: out of memory\n", stderr);
        exit(1);
    }
    return s;
}

static void job_error(struct job *j, int code)
{
    const vigil_error *e = vigil_error_last();
    vgu_buf b = VGU_BUF_INIT;

    vgu_buf_printf(&b, "vigil hash: %s: %s\n", j->path,
                   e && e->message ? e->message : vigil_strerror(code));
    j->err = xstrdup_buf(&b);
    j->failed = 1;
}

static void job_pdq(struct run *r, struct job *j, vgu_buf *b)
{
    vigil_pdq h[8];
    char hex[VIGIL_PDQ_HEX_LEN + 1];
    int quality = 0, rc, k, n = r->dihedral ? 8 : 1;

    rc = r->dihedral
        ? vigil_pdq_hash_file_dihedral(h, &quality, j->path, &r->opts)
        : vigil_pdq_hash_file(h, &quality, j->path, &r->opts);
    if (rc < 0) {
        job_error(j, rc);
        return;
    }
    for (k = 0; k < n; k++) {
        vigil_pdq_to_hex(hex, &h[k]);
        vgu_buf_printf(b, "%s,%d,%s\n", hex, quality, j->path);
    }
    if (quality < VIGIL_PDQ_MIN_QUALITY) {
        vgu_buf e = VGU_BUF_INIT;

        vgu_buf_printf(&e, "vigil hash: %s: low quality %d (< %d): HMA "
                       "would not match this hash\n", j->path, quality,
                       VIGIL_PDQ_MIN_QUALITY);
        j->err = xstrdup_buf(&e);
    }
}

static void job_digest(struct run *r, struct job *j, vgu_buf *b)
{
    vigil_digests d;
    char hex[2 * VIGIL_SHA256_LEN + 1];
    int rc;

    if ((rc = vigil_digest_file(&d, j->path)) < 0) {
        job_error(j, rc);
        return;
    }
    if (r->type == TYPE_MD5)
        vigil_hex_encode(hex, d.md5, VIGIL_MD5_LEN);
    else
        vigil_hex_encode(hex, d.sha256, VIGIL_SHA256_LEN);
    vgu_buf_printf(b, "%s,%s\n", hex, j->path);
}

static void job_run(struct run *r, struct job *j)
{
    vgu_buf b = VGU_BUF_INIT;

    if (r->type == TYPE_PDQ)
        job_pdq(r, j, &b);
    else
        job_digest(r, j, &b);
    if (!j->failed)
        j->out = xstrdup_buf(&b);
    vgu_buf_dispose(&b);
}

static void *worker(void *arg)
{
    struct run *r = arg;

    for (;;) {
        size_t i;

        pthread_mutex_lock(&r->lock);
        i = r->next++;
        pthread_mutex_unlock(&r->lock);
        if (i >= r->n)
            return NULL;
        job_run(r, &r->jobs[i]);
        pthread_mutex_lock(&r->lock);
        r->jobs[i].done = 1;
        pthread_cond_broadcast(&r->cond);
        pthread_mutex_unlock(&r->lock);
    }
}

/* Print job i once done; returns 1 if it failed. */
static int emit(struct run *r, size_t i)
{
    struct job *j = &r->jobs[i];

    pthread_mutex_lock(&r->lock);
    while (!j->done)
        pthread_cond_wait(&r->cond, &r->lock);
    pthread_mutex_unlock(&r->lock);
    if (j->out)
        fputs(j->out, stdout);
    if (j->err) {
        fflush(stdout);
        fputs(j->err, stderr);
    }
    free(j->out);
    free(j->err);
    return j->failed;
}

static int run_all(struct run *r, long njobs)
{
    pthread_t th[HASH_MAX_JOBS];
    long started = 0, t;
    size_t i;
    int failed = 0;

    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    if (njobs > 1)
        for (t = 0; t < njobs && (size_t)t < r->n; t++)
            if (pthread_create(&th[t], NULL, worker, r) == 0)
                started++;
    if (started == 0)
        worker(r);
    for (i = 0; i < r->n; i++)
        failed |= emit(r, i);
    for (t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
    return failed;
}

/* Paths from stdin, one per line; returns a malloc'd array. */
static char **read_stdin_paths(size_t *n_out)
{
    char **v = NULL, *line = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    ssize_t len;

    while ((len = getline(&line, &lcap, stdin)) != -1) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            if ((v = realloc(v, cap * sizeof(*v))) == NULL)
                break;
        }
        if ((v[n++] = strdup(line)) == NULL)
            break;
    }
    free(line);
    if (v == NULL && n > 0) {
        fputs("vigil hash: out of memory\n", stderr);
        exit(1);
    }
    *n_out = n;
    return v;
}

static int parse_type(const char *s)
{
    if (strcmp(s, "pdq") == 0)
        return TYPE_PDQ;
    if (strcmp(s, "md5") == 0)
        return TYPE_MD5;
    if (strcmp(s, "sha256") == 0)
        return TYPE_SHA256;
    return -1;
}

static int check_options(struct run *r, const char *type, long prescale,
                         long njobs)
{
    if ((r->type = parse_type(type)) < 0) {
        cli_errorf("hash", "unknown --type '%s' (pdq, md5 or sha256)", type);
        return 2;
    }
    if (prescale != 0 && prescale != 512) {
        cli_errorf("hash", "--prescale must be 512 (or 0 for none)");
        return 2;
    }
    if (njobs < 1 || njobs > HASH_MAX_JOBS) {
        cli_errorf("hash", "--jobs must be 1..%d", HASH_MAX_JOBS);
        return 2;
    }
    r->opts.prescale = (unsigned int)prescale;
    return 0;
}

int cmd_hash(int argc, char **argv)
{
    const char *type = "pdq";
    long prescale = 0, njobs = 1;
    int dihedral = 0, exif = 0, rc, npos;
    const cli_opt opts[] = {
        { "type", 't', CLI_OPT_STRING, &type, "TYPE",
          "pdq (default), md5 or sha256" },
        { "prescale", 0, CLI_OPT_INT, &prescale, "512",
          "resize images over 512 px to 512x512 first, as pdq-photo-hasher" },
        { "dihedral", 0, CLI_OPT_FLAG, &dihedral, NULL,
          "print the 8 rotation/flip hashes, one line each" },
        { "exif-orient", 0, CLI_OPT_FLAG, &exif, NULL,
          "apply JPEG EXIF orientation (the reference ignores it)" },
        { "jobs", 'j', CLI_OPT_INT, &njobs, "N", "hash on N threads" },
        { NULL, 0, 0, NULL, NULL, NULL }
    };
    const cli_spec spec = {
        "hash", "[--prescale 512] [--dihedral] [--type pdq|md5|sha256] "
        "[--jobs N] [--exif-orient] FILE...|-",
        "Print hash_hex,quality,path for each image (pdq-photo-hasher's "
        "format; md5/sha256 print hex,path). '-' reads paths from stdin.\n"
        "Quality below 50 is noted on stderr. Exit 1 if any file failed.",
        opts, 1, -1
    };
    vigil_pdq_options defaults = VIGIL_PDQ_OPTIONS_INIT;
    struct run r;
    char **pos, **paths;
    size_t n = 0, k;

    if ((rc = cli_parse(&spec, argc, argv, &pos, &npos)) != 0)
        return rc < 0 ? 0 : rc;
    memset(&r, 0, sizeof(r));
    r.opts = defaults;
    if ((rc = check_options(&r, type, prescale, njobs)) != 0)
        return rc;
    r.opts.exif_orient = exif;
    r.dihedral = dihedral;
    if (npos == 1 && strcmp(pos[0], "-") == 0) {
        paths = read_stdin_paths(&n);
    } else {
        paths = NULL;
        n = (size_t)npos;
    }
    if ((r.jobs = calloc(n ? n : 1, sizeof(*r.jobs))) == NULL) {
        fputs("vigil hash: out of memory\n", stderr);
        return 1;
    }
    for (k = 0; k < n; k++)
        r.jobs[k].path = paths ? paths[k] : pos[k];
    r.n = n;
    rc = run_all(&r, njobs);
    for (k = 0; paths && k < n; k++)
        free(paths[k]);
    free(paths);
    free(r.jobs);
    return rc ? 1 : 0;
}
