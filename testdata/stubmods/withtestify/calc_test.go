package calc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiv(t *testing.T) {
	got, err := Div(6, 3)
	require.NoError(t, err)
	assert.Equal(t, 2.0, got)
	_, err = Div(1, 0)
	assert.Error(t, err)
}
