#!/bin/sh
# footprint.sh PROGRAM.elf [PROGRAM.map]: flash and RAM of a cross-built program, from the
# linker's map file (default PROGRAM.elf.map or PROGRAM.map beside it) and arm-none-eabi-size:
# the bytes of code (.text), constants (.rodata, .ARM.exidx, .init_array, and .data's initial
# values, which also live in flash) and RAM (.data, .bss), each split by where they come from:
# the runtime (libplrt.a), the model array (plq_to_c), the embedded record (mitdb_to_c, test
# input, not firmware), the C library (newlib, libgcc, semihosting), the start-up code and the
# program itself. Stack and heap are not in the map: startup.c paints the stack
# (plrt_board_stack_used). Example: runtime/tools/footprint.sh build/cortex-m4/plrt_stream_ecg
set -eu
if [ $# -lt 1 ]; then
  echo "usage: footprint.sh PROGRAM.elf [PROGRAM.map]" >&2
  exit 2
fi
elf=$1
map=${2:-}
[ -n "$map" ] || { [ -f "$elf.map" ] && map=$elf.map; } || map=${elf%.elf}.map
if [ ! -f "$map" ]; then
  echo "footprint.sh: no map file $map" >&2
  exit 2
fi
arm-none-eabi-size -A "$elf" | awk '$1 ~ /^\.(text|rodata|data|bss|ARM\.exidx|init_array)$/ { printf "%s=%s ", $1, $2 } END { print "" }'
awk '
  function hex(s,   i, v) {
    v = 0
    s = tolower(substr(s, 3))
    for (i = 1; i <= length(s); ++i) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
  }
  function origin(file) {
    if (file ~ /libplrt\.a\(/) return "runtime"
    if (file ~ /stream_model|plrt_model_data/) return "model"
    if (file ~ /ecg_record/) return "record"
    if (file ~ /startup\.c/) return "startup"
    if (file ~ /lib(c|m|g|gcc|rdimon|nosys)(_nano)?\.a|crt|\/libgcc/) return "C library"
    return "program"
  }
  function kind(name) {
    if (name ~ /^\.(text|vectors|init$|fini$)/) return "code"
    if (name ~ /^\.(rodata|ARM\.exidx|ARM\.extab|init_array|fini_array|preinit_array)/) return "const"
    if (name ~ /^\.data/) return "data"
    if (name ~ /^\.bss|^COMMON/) return "bss"
    return ""
  }
  function add(name, size, file,   k) {
    k = kind(name)
    if (k == "" || size == 0) return
    bytes[k, origin(file)] += size
  }
  /^Linker script and memory map/ { in_map = 1; next }
  !in_map { next }
  /^ [.A-Za-z_]/ && NF == 1 { pending = $1; next }
  /^ [.A-Za-z_]/ && NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/ { add($1, hex($3), $4); pending = ""; next }
  pending != "" && NF >= 3 && $1 ~ /^0x/ && $2 ~ /^0x/ { add(pending, hex($2), $3); pending = ""; next }
  { pending = "" }
  END {
    o[1] = "runtime"; o[2] = "model"; o[3] = "record"; o[4] = "startup"; o[5] = "C library"
    o[6] = "program"; n = 6
    printf "%-10s %10s %10s %10s %10s\n", "from", "code", "const", "data", "bss"
    for (i = 1; i <= n; ++i) {
      printf "%-10s %10d %10d %10d %10d\n", o[i], bytes["code", o[i]], bytes["const", o[i]], \
             bytes["data", o[i]], bytes["bss", o[i]]
    }
  }' "$map"
