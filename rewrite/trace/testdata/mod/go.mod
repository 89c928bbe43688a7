module example.com/tr

go 1.22
