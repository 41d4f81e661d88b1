/*
 * tests/unit/hash/test_pdq_reference.c - every reference vector in
 * tests/resources/pdq/ must match bit for bit, with the same quality, in
 * both flavours, and the 8 dihedral hashes from one DCT must match too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash/pdq_internal.h"
#include "test.h"
#include "vigil/pdq.h"

#define MAX_FIELDS 12

/* Split a CSV line (no quoting in these files) in place. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;

    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        f[n++] = p;
        if ((p = strchr(p, ',')) == NULL)
            break;
        *p++ = '\0';
    }
    return n;
}

/* Hash every file of @p csv with @p prescale; returns rows checked. */
static int check_csv(const char *csv, unsigned int prescale, int dihedral)
{
    char path[4096], line[2048], hex[VIGIL_PDQ_HEX_LEN + 1];
    char *f[MAX_FIELDS] = { NULL };
    vigil_pdq_options opts = VIGIL_PDQ_OPTIONS_INIT;
    FILE *fp;
    int rows = 0, exact = 0;

    opts.prescale = prescale;
    snprintf(path, sizeof(path), "%s/tests/resources/pdq/%s",
             test_source_dir(), csv);
    fp = fopen(path, "r");
    CHECK(fp != NULL);
    if (fp == NULL)
        return 0;
    CHECK(fgets(line, sizeof(line), fp) != NULL);       /* header */
    while (fgets(line, sizeof(line), fp)) {
        vigil_pdq h[8];
        int n = split(line, f, MAX_FIELDS), q = -1, k, ok = 1;
        int nh = dihedral ? 8 : 1;

        CHECK_EQ_INT(n, nh + 2);
        if (n != nh + 2)
            continue;
        snprintf(path, sizeof(path), "%s/tests/resources/pdq/%s",
                 test_source_dir(), f[0]);
        if (dihedral)
            CHECK_OK(vigil_pdq_hash_file_dihedral(h, &q, path, &opts));
        else
            CHECK_OK(vigil_pdq_hash_file(h, &q, path, &opts));
        for (k = 0; k < nh; k++) {
            vigil_pdq_to_hex(hex, &h[k]);
            if (strcmp(hex, f[1 + k]) != 0) {
                fprintf(stderr, "%s [%d] prescale %u: got %s want %s\n",
                        f[0], k, prescale, hex, f[1 + k]);
                ok = 0;
            }
        }
        CHECK_EQ_STR(hex, f[nh]);
        CHECK_EQ_INT(q, atoi(f[nh + 1]));
        rows++;
        exact += ok && q == atoi(f[nh + 1]);
    }
    fclose(fp);
    printf("%s: %d/%d exact\n", csv, exact, rows);
    return rows;
}

static void test_pdq_reference__fullres(void)
{
    CHECK_EQ_INT(check_csv("fullres-pdqhash-equivalent-debian12.csv", 0, 0),
                 19);
}

/* The same through the SSE2/SSSE3 kernels only, then through the AVX2
 * ones only (where the CPU has them; by default streamed JPEGs use SSE). */
static void test_pdq_reference__fullres_each_kernel_set(void)
{
    vigil_pdq__kernels = 0;
    CHECK_EQ_INT(check_csv("fullres-pdqhash-equivalent-debian12.csv", 0, 0),
                 19);
    vigil_pdq__kernels = 1;
    CHECK_EQ_INT(check_csv("fullres-pdqhash-equivalent-debian12.csv", 0, 0),
                 19);
    vigil_pdq__kernels = -1;
}

static void test_pdq_reference__cli_prescale_512(void)
{
    CHECK_EQ_INT(check_csv("cpp-reference-debian12.csv", 512, 0), 19);
}

static void test_pdq_reference__cli_dihedral(void)
{
    CHECK_EQ_INT(check_csv("cpp-reference-debian12-dihedral.csv", 512, 1),
                 19);
}

/* The dihedral set's first hash is the plain hash (outside 64x64). */
static void test_pdq_reference__dihedral_first_is_plain(void)
{
    char path[1024];
    vigil_pdq one, eight[8];
    int q1, q8;

    snprintf(path, sizeof(path), "%s/tests/resources/pdq/data/bridge-mods/"
             "aaa-orig.jpg", test_source_dir());
    CHECK_OK(vigil_pdq_hash_file(&one, &q1, path, NULL));
    CHECK_OK(vigil_pdq_hash_file_dihedral(eight, &q8, path, NULL));
    CHECK_EQ_INT(vigil_pdq_distance(&one, &eight[0]), 0);
    CHECK_EQ_INT(q1, q8);
}

static const test_case cases[] = {
    { "fullres", test_pdq_reference__fullres },
    { "fullres_each_kernel_set",
      test_pdq_reference__fullres_each_kernel_set },
    { "cli_prescale_512", test_pdq_reference__cli_prescale_512 },
    { "cli_dihedral", test_pdq_reference__cli_dihedral },
    { "dihedral_first_is_plain", test_pdq_reference__dihedral_first_is_plain },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, cases);
}
