# Sourced by run_results.sh and ship_models.sh: the shipped config of each result benchmark.
config_of() {
  case "$1" in
    mitbih) echo configs/mitbih_aami.json ;;
    uci) echo configs/uci_emg.json ;;
    uci_tinymyo) echo configs/uci_emg_tinymyo.json ;;
    *) echo "unknown benchmark $1" >&2; exit 2 ;;
  esac
}
