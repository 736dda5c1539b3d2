// Headers only: LLVMFuzzerRunDriver comes from libFuzzer (-sanitize=fuzzer).
