package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestKeysAndAudit drives the key commands as an administrator would:
// create (shown once), list (no secrets), revoke, and an empty audit log.
func TestKeysAndAudit(t *testing.T) {
	env := map[string]string{"HOTSPOT_DATA_DIR": t.TempDir()}
	code, out, errOut := runCmd(t, env, "keys", "create", "--name", "Community Safety analyst", "--role", "analyst", "--json")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	var created struct{ ID, Key, Role, Name string }
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.Role != "analyst" || !strings.HasPrefix(created.Key, "hs_"+created.ID+"_") {
		t.Fatalf("create printed %q (%v)", out, err)
	}

	tests := []struct {
		name     string
		args     []string
		code     int
		inOut    string
		notInOut string
		inStderr string
	}{
		{"list shows no secret", []string{"keys", "list"}, 0, created.ID, created.Key[20:], ""},
		{"list as JSON", []string{"keys", "list", "--json"}, 0, `"revoked":null`, "hash", ""},
		{"unknown role", []string{"keys", "create", "--name", "x", "--role", "superuser"}, 2, "", "", "unknown role"},
		{"no name", []string{"keys", "create", "--role", "partner"}, 2, "", "", "needs a name"},
		{"revoke unknown", []string{"keys", "revoke", "0123456789abcdef"}, 2, "", "", "no key with id"},
		{"revoke", []string{"keys", "revoke", created.ID}, 0, "revoked " + created.ID, "", ""},
		{"revoked in list", []string{"keys", "list", "--json"}, 0, `"revoked":"`, "", ""},
		{"audit empty", []string{"audit", "--since", "2026-01-01"}, 0, "TIME (UTC)", "", ""},
		{"audit bad since", []string{"audit", "--since", "yesterday"}, 2, "", "", "YYYY-MM-DD"},
		{"unknown subcommand", []string{"keys", "rotate"}, 2, "", "", "unknown keys command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, env, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errOut)
			}
			if !strings.Contains(out, tc.inOut) || (tc.notInOut != "" && strings.Contains(out, tc.notInOut)) {
				t.Errorf("stdout %q: want %q and not %q", out, tc.inOut, tc.notInOut)
			}
			if !strings.Contains(errOut, tc.inStderr) {
				t.Errorf("stderr %q: want %q", errOut, tc.inStderr)
			}
		})
	}
}
