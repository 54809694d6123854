/*
** module_bytes.h — byte fragments of hand-made modules for the front-end
** tests. The offsets in the comments are where each fragment lands when
** the sections follow the header in this order, which the tests' expected
** error offsets rely on.
*/
#ifndef WT_TEST_MODULE_BYTES_H
#define WT_TEST_MODULE_BYTES_H

/* Module header; every case starts with it (offsets 0..7). */
#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00
/* Type section with one type [] -> [i32] (offsets 8..14). */
#define TYPE_V_I32 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f
/* Type section with one type [] -> [] (offsets 8..13). */
#define TYPE_V_V 0x01, 0x04, 0x01, 0x60, 0x00, 0x00
/* Function section: one function of type 0 (offsets 14..17 after TYPE_V_V). */
#define FUNC_1 0x03, 0x02, 0x01, 0x00

#endif
