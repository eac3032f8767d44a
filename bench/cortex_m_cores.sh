# Sourced by the Cortex-M benchmarks (run_cortex_m.sh, run_cmsis_nn.sh): the QEMU board of a
# core preset of runtime/CMakePresets.json.
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
