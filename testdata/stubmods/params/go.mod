module example.com/params

go 1.24
