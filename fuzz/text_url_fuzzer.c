/*
 * fuzz/text_url_fuzzer.c - URL normalisation: a normalised URL must
 * normalise to itself (idempotent), carry no utm_ query parameter and no
 * fragment but a hash route ("#/x", "#!/x", which is kept).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char a[4200], b[4200], *h;
    const char *q;
    int n, m;

    if (size > 4096)
        return 0;
    if ((n = vigil_text__url_normalize(a, sizeof(a), (const char *)data,
                                       size)) < 0)
        return 0;
    if ((size_t)n != strlen(a))
        abort();
    if ((h = strchr(a, '#')) != NULL) {
        if (!((h[1] == '/' && h[2]) || (h[1] == '!' && h[2] == '/' && h[3])))
            abort();                    /* a fragment that is no route */
        *h = '\0';                      /* the query ends there */
    }
    q = strchr(a, '?');
    if (q && (strncmp(q, "?utm_", 5) == 0 || strstr(q, "&utm_")))
        abort();
    if (h)
        *h = '#';
    m = vigil_text__url_normalize(b, sizeof(b), a, (size_t)n);
    if (m != n || memcmp(a, b, (size_t)n) != 0)
        abort();
    return 0;
}
