/* LeakSanitizer suppressions built into the fuzz targets and their replay
 * (LSan asks for them through this hook, besides any LSAN_OPTIONS file).
 * Third-party libraries only, each with why. */

const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
    /* libconfig 1.5's scanner leaks the text of the token it was reading
     * when a syntax error stops the parse (a string buffer in strbuf_append,
     * a token copied in libconfig_yylex): config_destroy() cannot free what
     * the parser never handed over. Reproduced with libconfig alone, without
     * the wall (fuzz/README.md). Only the scanner's own functions: a model
     * the wall forgot to destroy still shows (config_setting_create...). */
    return "leak:strbuf_append\n"
           "leak:libconfig_yylex\n";
}
