#!/usr/bin/env bash
# Everything `make run` does, but chat in this terminal instead of the web page (Rasa's REST channel,
# through credentials-shell.yml, on this machine only).
exec bash "$(dirname "$0")/run.sh" shell
