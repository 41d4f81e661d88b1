// bench/cld2_anchor.cc - C-callable wrapper around CLD2 (Debian libcld2-dev,
// full tables) used only as the speed/accuracy anchor of bench_langid.
#include <stdio.h>   // the CLD2 header uses FILE without including it
#include <string.h>

#include <cld2/public/compact_lang_det.h>

extern "C" int vigil_bench_cld2(const char *text, int len, char *code, size_t cap)
{
    bool reliable = false;
    CLD2::Language l = CLD2::DetectLanguage(text, len, true, &reliable);
    const char *c = CLD2::LanguageCode(l);
    strncpy(code, c ? c : "un", cap - 1);
    code[cap - 1] = '\0';
    return reliable ? 1 : 0;
}
