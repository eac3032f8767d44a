# Sourced by the Cortex-M benchmarks (run_cortex_m.sh, run_cmsis_nn.sh, run_profile_cpu.sh): the
# QEMU board of a core preset of runtime/CMakePresets.json.
#   board=$(cortex_m_board CORE NAME-OF-THE-SCRIPT) || exit 2
cortex_m_board() {
  case $1 in
    cortex-m4) echo mps2-an386 ;;  # Cortex-M4F
    cortex-m55) echo mps3-an547 ;; # Cortex-M55 with Helium
    *)
      echo "$2: unknown core '$1' (cortex-m4 or cortex-m55)" >&2
      return 2
      ;;
  esac
}

# Configures and builds TARGETs for each core a benchmark was asked for (CORES: its arguments,
# else both) and calls FUNCTION CORE BOARD after each build, from runtime/.
#   cortex_m_each NAME-OF-THE-SCRIPT FUNCTION "TARGET..." [CORE...]
cortex_m_each() {
  local name=$1 fn=$2 targets=$3 core board
  shift 3
  [ $# -gt 0 ] || set -- cortex-m4 cortex-m55
  for core in "$@"; do
    board=$(cortex_m_board "$core" "$name") || return 2
    cmake --preset "$core" > /dev/null
    # shellcheck disable=SC2086 # a list of targets
    cmake --build --preset "$core" -j 2 --target $targets > /dev/null
    "$fn" "$core" "$board"
  done
}
