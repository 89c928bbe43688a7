module quirks

go 1.22
