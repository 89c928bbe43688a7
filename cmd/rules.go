package cmd

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/gorewrite/gorewrite/rewrite/builtin"
	"github.com/spf13/cobra"
)

func (a *app) rulesCommand() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in rules",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rules := builtin.Rules()
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rules)
			}
			w := tabwriter.NewWriter(a.stdout, 0, 8, 2, ' ', 0)
			for _, r := range rules {
				fmt.Fprintf(w, "%s\t%s\n", r.Name, r.Doc)
				fmt.Fprintf(w, "\tusage: %s\n", r.Usage)
				fmt.Fprintf(w, "\ttypes: %s\n", r.Types)
				fmt.Fprintf(w, "\texample: %s\n", r.Example)
			}
			return w.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the list as JSON")
	return c
}
