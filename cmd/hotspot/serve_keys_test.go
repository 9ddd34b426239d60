package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"
)

// TestServeRevocation: on both stores, a key made with `hotspot keys
// create` while the server runs is accepted, and once revoked by `hotspot
// keys revoke` (another process's work) it is refused within 5 s.
func TestServeRevocation(t *testing.T) {
	stores := map[string]func(t *testing.T) []string{
		"embedded": func(t *testing.T) []string { return []string{"--data-dir", t.TempDir()} },
		"postgis":  freshDatabase,
	}
	for name, flags := range stores {
		t.Run(name, func(t *testing.T) {
			store := flags(t)
			base := startServe(t, nil, append([]string{"--no-demo"}, store...)...)
			code, out, errOut := runCmd(t, nil, append(append([]string{"keys", "create"}, store...), "--name", "Jo", "--role", "partner", "--json")...)
			if code != 0 {
				t.Fatalf("keys create: %d %s", code, errOut)
			}
			var k struct{ ID, Key string }
			if err := json.Unmarshal([]byte(out), &k); err != nil {
				t.Fatal(err)
			}
			if status := whoamiStatus(t, base, k.Key); status != 200 {
				t.Fatalf("a new key: whoami %d", status)
			}
			if code, _, errOut := runCmd(t, nil, append(append([]string{"keys", "revoke"}, store...), k.ID)...); code != 0 {
				t.Fatalf("keys revoke: %d %s", code, errOut)
			}
			start := time.Now()
			for whoamiStatus(t, base, k.Key) != 401 {
				if time.Since(start) > 5*time.Second {
					t.Fatalf("the revoked key still works after %v", time.Since(start))
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Logf("refused %v after the revocation", time.Since(start).Round(time.Millisecond))
		})
	}
}

func whoamiStatus(t *testing.T, base, key string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/api/v1/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// freshDatabase makes a database of its own for one test on the server of
// HOTSPOT_TEST_DATABASE_URL (skipping without it) and drops it after.
func freshDatabase(t *testing.T) []string {
	t.Helper()
	u := os.Getenv("HOTSPOT_TEST_DATABASE_URL")
	if u == "" {
		t.Skip("HOTSPOT_TEST_DATABASE_URL not set")
	}
	admin, err := sql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "hotspot_cmd_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	parsed.Path = "/" + name
	return []string{"--database-url", strings.Replace(parsed.String(), "postgresql://", "postgres://", 1)}
}
