# Sourced by the scripts. Loads .env like the Django settings do: a variable already set in
# the environment wins over the file (so `PORT=18080 make run` works).
load_dotenv() {
  local file=${1:-.env} line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    key=${key// /}
    if [ -z "${!key+x}" ]; then
      export "$key=$value"
    fi
  done < "$file"
}
