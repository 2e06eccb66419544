# The processor check of the dist build (README "Building for distribution"): a binary built
# with `-C target-cpu=x86-64-v3` may use AVX2, BMI1/2, FMA, F16C, LZCNT, MOVBE in any function,
# and even its SSE instructions are VEX-encoded, which a processor without AVX cannot run: on
# an older office PC such a binary would stop with "illegal instruction" before `main` could say
# why. So the check is written here, in instructions every x86-64 processor runs, and runs as an
# ELF constructor (.init_array), before any code of chitieu: it asks CPUID for every x86-64-v3
# feature (and XGETBV whether the system saves the AVX registers); when one is missing it writes
# the message below to stderr and ends the process with status 2 (Linux system calls).
#
# Included by src/main.rs only when compiled for AVX2 on x86_64 Linux (the dist build); the
# portable build (`cargo build --release`) requires nothing and has no such check.
# tests/cpu.rs compiles it into a small program for x86-64-v3 and runs that under qemu with an
# older processor model (Nehalem, Sandy Bridge) and a v3 one (Haswell).

    .pushsection .text.chitieu_cpu_check,"ax",@progbits
    .p2align 4
chitieu_cpu_check:
    push rbx
    # leaf 0: the highest leaf, which must reach 7
    xor eax, eax
    xor ecx, ecx
    cpuid
    cmp eax, 7
    jb 9f
    # leaf 1, ECX: SSE3 0, SSSE3 9, FMA 12, CMPXCHG16B 13, SSE4.1 19, SSE4.2 20, MOVBE 22,
    # POPCNT 23, XSAVE 26, OSXSAVE 27, AVX 28, F16C 29
    mov eax, 1
    xor ecx, ecx
    cpuid
    and ecx, 0x3cd83201
    cmp ecx, 0x3cd83201
    jne 9f
    # XCR0: the system saves the SSE (bit 1) and AVX (bit 2) registers
    xor ecx, ecx
    xgetbv
    and eax, 6
    cmp eax, 6
    jne 9f
    # leaf 7, subleaf 0, EBX: BMI1 3, AVX2 5, BMI2 8
    mov eax, 7
    xor ecx, ecx
    cpuid
    and ebx, 0x128
    cmp ebx, 0x128
    jne 9f
    # leaf 0x80000001, ECX: LAHF/SAHF 0, LZCNT 5
    mov eax, 0x80000000
    xor ecx, ecx
    cpuid
    cmp eax, 0x80000001
    jb 9f
    mov eax, 0x80000001
    xor ecx, ecx
    cpuid
    and ecx, 0x21
    cmp ecx, 0x21
    jne 9f
    pop rbx
    ret
9:
    # write(2, message, length); exit_group(2)
    mov eax, 1
    mov edi, 2
    lea rsi, [rip + chitieu_cpu_message]
    lea rdx, [rip + chitieu_cpu_message_end]
    sub rdx, rsi
    syscall
    mov eax, 231
    mov edi, 2
    syscall
    ud2
    .popsection

    .pushsection .rodata.chitieu_cpu_message,"a",@progbits
chitieu_cpu_message:
    .ascii "error: this chitieu was built for x86-64-v3 processors (AVX2, BMI1, BMI2, FMA, F16C, "
    .ascii "LZCNT, MOVBE: `cargo dist`, as Python polars' wheel is), and this processor is older; "
    .ascii "it would stop with \"illegal instruction\". Use the portable build instead: "
    .ascii "`cargo build --release` (or `cargo install --path .`), which runs on every x86-64 "
    .ascii "processor\n"
chitieu_cpu_message_end:
    .popsection

    .pushsection .init_array,"aw",@init_array
    .p2align 3
    .quad chitieu_cpu_check
    .popsection
