module example.com/schemata

go 1.22
