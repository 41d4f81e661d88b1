/*
 * tests/unit/text/test_hs_cache.c - the on-disk cache of the compiled
 * watchlist (two databases): a cold start writes them, a warm start
 * reads them without rewriting, a corrupt or foreign file is recompiled,
 * "off" writes nothing, and every path finds the same hits.
 */
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/text.h"

static char dir[64];

static const char *const texts[] = {
    "New release from A l - A z a i m today",
    "K.h.o.r.a.s.a.n province statement",
    "\xd8\xb9\xd8\xb2\xd8\xa7\xd8\xa6\xd9\x85 media",
    "nothing to see here",
};

/* Hits of a fresh triage handle (a new watchlist compile or cache load)
 * as "outlet start end;" per text, into @p out. */
static void hits_of_fresh(char *out, size_t cap)
{
    vigil_triage *tr = NULL;
    size_t i, k, n = 0;

    out[0] = '\0';
    CHECK_OK(vigil_triage_new(&tr, NULL));
    if (!tr)
        return;
    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const vigil_triage_result *r = NULL;

        CHECK_OK(vigil_triage_scan(&r, tr, texts[i], strlen(texts[i]),
                                   VIGIL_TRIAGE_WATCHLIST));
        for (k = 0; r && k < r->n_hits && n + 128 < cap; k++)
            n += (size_t)snprintf(out + n, cap - n, "%s %ld %ld;",
                                  r->hits[k].outlet, (long)r->hits[k].start,
                                  (long)r->hits[k].end);
        n += (size_t)snprintf(out + n, cap - n, "|");
    }
    vigil_triage_free(tr);
}

/* The cache files in dir: the bundled list compiles into two databases
 * (the terms as written, and the Arabic-script terms that also match
 * dotless letters). The largest one's path into @p path; returns its
 * inode, 0 when there is no file, -1 when there are not exactly two. */
static long cache_file(char *path, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    long ino = 0;
    off_t size = -1;
    int count = 0;
    char p[512];

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        count++;
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        if (stat(p, &st) == 0 && st.st_size > size) {
            size = st.st_size;
            ino = (long)st.st_ino;
            snprintf(path, cap, "%s", p);
        }
    }
    closedir(d);
    return count == 0 ? 0 : count != 2 ? -1 : ino;
}

static void test_hs_cache__cold_warm_corrupt_off(void)
{
    char ref[4096], got[4096], path[512];
    long ino, ino2;
    FILE *f;

    setenv("VIGIL_CACHE_DIR", "off", 1);
    hits_of_fresh(ref, sizeof(ref));
    CHECK(strstr(ref, "Al-Azaim") != NULL || strstr(ref, "zaim") != NULL);
    CHECK_EQ_INT(cache_file(path, sizeof(path)), 0);   /* off: nothing */

    setenv("VIGIL_CACHE_DIR", dir, 1);
    hits_of_fresh(got, sizeof(got));                   /* cold: compiles */
    CHECK(strcmp(got, ref) == 0);
    ino = cache_file(path, sizeof(path));
    CHECK(ino > 0);

    hits_of_fresh(got, sizeof(got));                   /* warm: loads */
    CHECK(strcmp(got, ref) == 0);
    CHECK_EQ_INT(cache_file(path, sizeof(path)), ino); /* not rewritten */

    /* flip a byte of the serialized database: refused, recompiled */
    f = fopen(path, "r+b");
    CHECK(f != NULL);
    if (f) {
        int c;

        fseek(f, 200, SEEK_SET);
        c = fgetc(f);
        fseek(f, 200, SEEK_SET);
        fputc(c ^ 0x5a, f);
        fclose(f);
    }
    hits_of_fresh(got, sizeof(got));
    CHECK(strcmp(got, ref) == 0);
    ino2 = cache_file(path, sizeof(path));
    CHECK(ino2 > 0 && ino2 != ino);                    /* replaced */

    /* a truncated file: the same */
    CHECK(truncate(path, 50) == 0);
    hits_of_fresh(got, sizeof(got));
    CHECK(strcmp(got, ref) == 0);
    CHECK(cache_file(path, sizeof(path)) > 0);

    /* an unwritable cache folder: still correct, nothing written */
    setenv("VIGIL_CACHE_DIR", "/proc/vigil-no-such-dir", 1);
    hits_of_fresh(got, sizeof(got));
    CHECK(strcmp(got, ref) == 0);
    setenv("VIGIL_CACHE_DIR", dir, 1);
}

int main(int argc, char **argv)
{
    static const test_case cases[] = {
        { "test_hs_cache__cold_warm_corrupt_off",
          test_hs_cache__cold_warm_corrupt_off },
        { NULL, NULL }
    };
    char path[512];
    int rc;

    snprintf(dir, sizeof(dir), "/tmp/vigil-hscache-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    rc = test_main(argc, argv, cases);
    while (cache_file(path, sizeof(path)) > 0 && unlink(path) == 0)
        ;
    rmdir(dir);
    return rc;
}
