/*
** inspect.c — `wasitorch inspect`: validate a module and list what it
** imports and exports, so a user can see which host interfaces it needs.
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *kind_name(wt_extern_kind kind) {
  switch (kind) {
  case WT_EXTERN_FUNC: return "func";
  case WT_EXTERN_TABLE: return "table";
  case WT_EXTERN_MEMORY: return "memory";
  case WT_EXTERN_GLOBAL: return "global";
  }
  return "?";
}

int cli_inspect(int argc, char **argv) {
  if (argc != 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    FILE *out = argc == 2 ? stdout : stderr;
    fputs("Usage: wasitorch inspect MODULE.wasm\n"
          "Decodes and validates MODULE.wasm and lists its imports and exports.\n", out);
    return argc == 2 ? 0 : 2;
  }
  wt_engine *engine = wt_engine_new(NULL);
  wt_module *module = engine ? cli_load_module(engine, argv[1]) : NULL;
  if (!module) {
    wt_engine_free(engine);
    return 1;
  }
  printf("%s: valid\n", argv[1]);
  uint32_t ni = wt_module_import_count(module), ne = wt_module_export_count(module);
  printf("imports (%u):\n", ni);
  for (uint32_t i = 0; i < ni; i++) {
    wt_port p = wt_module_import(module, i);
    printf("  %-6s %.*s.%.*s\n", kind_name(p.kind), (int)p.module_len, p.module,
           (int)p.name_len, p.name);
  }
  printf("exports (%u):\n", ne);
  for (uint32_t i = 0; i < ne; i++) {
    wt_port p = wt_module_export(module, i);
    printf("  %-6s %.*s\n", kind_name(p.kind), (int)p.name_len, p.name);
  }
  wt_module_free(module);
  wt_engine_free(engine);
  return 0;
}
