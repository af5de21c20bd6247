# Liaison — developer and demo entry points. See README.md.
.PHONY: build test demo mailstack-start mailstack-stop release clean

SWIFT ?= swift

build:
	scripts/mailstack install
	$(SWIFT) build

# Starts the local Dovecot + Postfix stack, runs every test against it, stops it again.
test:
	scripts/test

# Installs what is missing, starts the stack, mails sample statements in, polls once, shows the result.
demo:
	scripts/demo

mailstack-start:
	scripts/mailstack start

mailstack-stop:
	scripts/mailstack stop

release:
	scripts/mailstack install
	$(SWIFT) build -c release --product liaison

clean:
	rm -rf .build
