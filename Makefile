# The two commands: `make run` and `make test`. The rest are conveniences.
.PHONY: run shell test setup train bench format lint knowledge-check clean

run:            ## set up if needed, train if needed, start everything; chat on the demo page
	bash scripts/run.sh

shell:          ## the same, but chat in the terminal
	bash scripts/shell.sh

test:           ## everything CI runs
	bash scripts/test.sh

setup:          ## create .venv and install pinned dependencies
	bash scripts/setup.sh

train:          ## train only if data, domain or config changed
	bash scripts/train.sh

bench:          ## our assistant against a stock `rasa init` bot (slow; writes docs/benchmarks.md)
	bash bench/run.sh

format:         ## fix formatting and simple lint
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

knowledge-check: ## validate knowledge files only (fast)
	.venv/bin/python -m bot knowledge check

clean:          ## remove models, results and local databases
	rm -rf models results var .rasa
