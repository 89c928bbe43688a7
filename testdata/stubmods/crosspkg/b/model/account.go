package model

// Account belongs to a user.
type Account struct {
	Owner   User
	Balance int64
}
