package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/leicester-csp/hotspot/geo/access"
)

// hotspot keys create|list|revoke and hotspot audit (DESIGN.md,
// "Access"): the keys live in the store, so a key made or revoked here is
// seen by every serving process of that store within seconds.

const keysSynopsis = `keys create [--data-dir DIR | --database-url URL] --name NAME --role public|partner|analyst|admin [--json]
       hotspot keys list   [--data-dir DIR | --database-url URL] [--json]
       hotspot keys revoke [--data-dir DIR | --database-url URL] ID`

func cmdKeys(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return usagef("hotspot %s", keysSynopsis)
	}
	switch args[0] {
	case "create":
		return keysCreate(ctx, args[1:], stdout, stderr, getenv)
	case "list":
		return keysList(ctx, args[1:], stdout, stderr, getenv)
	case "revoke":
		return keysRevoke(ctx, args[1:], stdout, stderr, getenv)
	case "-h", "--help", "help":
		fmt.Fprintf(stdout, "Usage: hotspot %s\n", keysSynopsis)
		return nil
	}
	return usagef("unknown keys command %q: want create, list or revoke", args[0])
}

// openKeyring opens the selected store as a keyring.
func openKeyring(ctx context.Context, sf *storeFlags, stderr io.Writer) (access.Keyring, func(), error) {
	st, err := sf.openOnce(ctx, stderr)
	if err != nil {
		return nil, nil, err
	}
	kr, ok := st.(access.Keyring)
	if !ok {
		st.Close()
		return nil, nil, fmt.Errorf("the store at %s keeps no keys", sf.where())
	}
	return kr, func() { st.Close() }, nil
}

func keysCreate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("keys create", keysSynopsis, stderr)
	var (
		sf         storeFlags
		name, role string
		asJSON     bool
	)
	sf.register(fs, getenv)
	fs.StringVar(&name, "name", "", "who holds the key (a person or a team), shown in keys list and the audit log")
	fs.StringVar(&role, "role", "", "public, partner, analyst or admin")
	fs.BoolVar(&asJSON, "json", false, "print {\"id\",\"key\",\"role\",\"name\"} as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	r, err := access.ParseRole(role)
	if err != nil {
		return usagef("--role: %v", err)
	}
	k, token, err := access.NewKey(name, r, time.Now())
	if err != nil {
		return usagef("--name: %v", err)
	}
	kr, done, err := openKeyring(ctx, &sf, stderr)
	if err != nil {
		return err
	}
	defer done()
	if err := kr.AddKey(ctx, k); err != nil {
		return fmt.Errorf("store the key: %w", err)
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(map[string]string{"id": k.ID, "key": token, "role": k.Role.String(), "name": k.Name})
	}
	fmt.Fprintf(stdout, "id:   %s\nrole: %s\nname: %s\nkey:  %s\n\nThe key is shown only now; only its hash is stored. Send it as\n  Authorization: Bearer %s\n", k.ID, k.Role, k.Name, token, token)
	return nil
}

func keysList(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("keys list", keysSynopsis, stderr)
	var (
		sf     storeFlags
		asJSON bool
	)
	sf.register(fs, getenv)
	fs.BoolVar(&asJSON, "json", false, "print the keys as a JSON array (no secrets: there are none to print)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	kr, done, err := openKeyring(ctx, &sf, stderr)
	if err != nil {
		return err
	}
	defer done()
	keys, err := kr.Keys(ctx)
	if err != nil {
		return err
	}
	type listed struct {
		ID      string      `json:"id"`
		Name    string      `json:"name"`
		Role    access.Role `json:"role"`
		Created time.Time   `json:"created"`
		Revoked *time.Time  `json:"revoked"`
	}
	out := make([]listed, len(keys))
	for i, k := range keys {
		out[i] = listed{k.ID, k.Name, k.Role, k.Created, k.Revoked}
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tCREATED\tREVOKED\tNAME")
	for _, k := range out {
		revoked := "-"
		if k.Revoked != nil {
			revoked = k.Revoked.Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, k.Created.Format(time.DateTime), revoked, k.Name)
	}
	return tw.Flush()
}

func keysRevoke(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("keys revoke", keysSynopsis, stderr)
	var sf storeFlags
	sf.register(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("keys revoke takes one key id (see hotspot keys list)")
	}
	id := fs.Arg(0)
	kr, done, err := openKeyring(ctx, &sf, stderr)
	if err != nil {
		return err
	}
	defer done()
	if err := kr.RevokeKey(ctx, id); err != nil {
		if errors.Is(err, access.ErrUnknownKey) {
			return usagef("no key with id %q (see hotspot keys list)", id)
		}
		return err
	}
	fmt.Fprintf(stdout, "revoked %s; serving processes refuse it within 5 seconds\n", id)
	return nil
}

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("audit", "audit [--data-dir DIR | --database-url URL] [--since YYYY-MM-DD] [--json]", stderr)
	var (
		sf     storeFlags
		since  string
		asJSON bool
	)
	sf.register(fs, getenv)
	fs.StringVar(&since, "since", "", "only entries on or after this day (UTC)")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var from time.Time
	if since != "" {
		t, err := time.Parse(time.DateOnly, since)
		if err != nil {
			return usagef("--since %q: want YYYY-MM-DD", since)
		}
		from = t
	}
	kr, done, err := openKeyring(ctx, &sf, stderr)
	if err != nil {
		return err
	}
	defer done()
	entries, err := kr.AuditLog(ctx, from)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (UTC)\tKEY\tROWS\tREQUEST")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s %s\n", e.Time.Format("2006-01-02 15:04:05.000"), e.KeyID, e.Rows, e.Method, e.Path)
	}
	return tw.Flush()
}
