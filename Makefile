# Shortcuts for the two commands of the README (the scripts need no make).
.PHONY: run test
run:
	deploy/dev/run
test:
	deploy/dev/test
