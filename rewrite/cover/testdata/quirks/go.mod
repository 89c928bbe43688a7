module quirks

go 1.22

require quirks/runnerlib v0.0.0

replace quirks/runnerlib => ./runnerlib
