# shellcheck shell=bash
# The Python environment for the tests and the demo: a venv at .build-venv/ with the packages of
# deploy/requirements-test.txt (oidc-provider-mock, selenium, ...). Call `python_env` after
# sourcing common.sh; it sets VENV_PYTHON and puts the venv's bin on PATH.

python_env() {
    local venv=.build-venv requirements=deploy/requirements-test.txt stamp want
    if [[ ! -x $venv/bin/python3 ]]; then
        # Debian's interpreter (python3-venv is installed for it); else whatever python3 is.
        local base=/usr/bin/python3
        [[ -x $base ]] || base=$PYTHON
        "$base" -m venv "$venv"
    fi
    stamp=$venv/.requirements.sha256
    want=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [[ $(cat "$stamp" 2>/dev/null) != "$want" ]]; then
        if grep -qvE '^[[:space:]]*(#|$)' "$requirements"; then
            "$venv/bin/python3" -m pip install -q -r "$requirements"
        fi
        echo "$want" >"$stamp"
    fi
    export PATH="$PWD/$venv/bin:$PATH"
    VENV_PYTHON="$PWD/$venv/bin/python3"
    export VENV_PYTHON
}
