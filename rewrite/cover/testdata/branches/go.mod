module branches

go 1.22
