module example.com/withcmp

go 1.22

require github.com/google/go-cmp v0.7.0
