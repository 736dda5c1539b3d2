// libFuzzer's driver, for an executable whose main is Swift's (SwiftPM names
// the entry point itself): main.swift hands it argc, argv and the callback.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
