module quirks/runnerlib

go 1.22
