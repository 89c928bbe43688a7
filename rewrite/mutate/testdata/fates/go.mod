module example.com/fates

go 1.22
