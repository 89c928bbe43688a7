module example.com/special

go 1.26
