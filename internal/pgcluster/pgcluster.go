// Package pgcluster starts private PostgreSQL clusters for tests — a
// primary and hot standbys of it on ports of their own — so that tests
// may stop, pause and restart them without touching any shared server.
// It is a test helper: the product never imports it.
package pgcluster

import (
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Cluster is one private cluster, run as the postgres user when the test
// runs as root (PostgreSQL refuses to run as root).
type Cluster struct {
	t       testing.TB
	bin     string
	root    string // holds data, the socket and the log
	dir     string // data directory
	port    int
	cred    *syscall.Credential
	running bool
}

// NewPrimary initialises a cluster that standbys can stream from, or
// skips the test when the PostgreSQL server binaries are not installed.
// It is stopped when the test ends.
func NewPrimary(t testing.TB) *Cluster {
	t.Helper()
	c := newCluster(t)
	c.run("initdb", "-D", c.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions")
	return c
}

// Standby copies the running primary with pg_basebackup -R: started,
// it is a hot standby streaming from the primary.
func (c *Cluster) Standby(t testing.TB) *Cluster {
	t.Helper()
	sb := newCluster(t)
	sb.run("pg_basebackup", "-D", sb.dir, "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres",
		"-R", "-X", "stream", "--no-sync", "-c", "fast")
	return sb
}

func newCluster(t testing.TB) *Cluster {
	bin := BinDir()
	if bin == "" {
		t.Skip("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found; set HOTSPOT_PG_BINDIR")
	}
	c := &Cluster{t: t, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run a private cluster as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// Not t.TempDir: its parents are private to root, and the server
	// runs as postgres.
	root, err := os.MkdirTemp("", "hotspot-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if c.cred != nil {
		if err := os.Chown(root, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	c.root, c.dir = root, filepath.Join(root, "data")
	c.port = freePort(t)
	t.Cleanup(func() {
		if c.running {
			c.exec("pg_ctl", "-D", c.dir, "-w", "-t", "30", "-m", "immediate", "stop")
		}
	})
	return c
}

// BinDir finds the PostgreSQL server binaries: HOTSPOT_PG_BINDIR,
// pg_config, the PATH, then Debian's /usr/lib/postgresql/*/bin.
func BinDir() string {
	if d := os.Getenv("HOTSPOT_PG_BINDIR"); d != "" {
		return d
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(d, "pg_basebackup")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p)
	}
	ds, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(ds) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(ds[i], "pg_basebackup")); err == nil {
			return ds[i]
		}
	}
	return ""
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (c *Cluster) exec(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.root
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd.CombinedOutput()
}

func (c *Cluster) run(name string, args ...string) {
	c.t.Helper()
	if out, err := c.exec(name, args...); err != nil {
		c.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// Start starts the cluster on its port, listening on 127.0.0.1 and a
// socket in its own directory; WAL is kept for standbys (wal_level
// replica, PostgreSQL's default).
func (c *Cluster) Start() {
	c.t.Helper()
	c.run("pg_ctl", "-D", c.dir, "-w", "-t", "60", "-l", filepath.Join(c.root, "log"), "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c wal_level=replica", c.port, c.root), "start")
	c.running = true
}

// Stop stops the cluster (fast: sessions are ended, not waited for).
func (c *Cluster) Stop() {
	c.t.Helper()
	c.run("pg_ctl", "-D", c.dir, "-w", "-t", "60", "-m", "fast", "stop")
	c.running = false
}

// Halt stops the cluster in mode (smart, fast or immediate), from any
// goroutine and whatever its state: a test that takes the database away
// at an arbitrary moment of its work does not care whether it was up.
func (c *Cluster) Halt(mode string) {
	_, _ = c.exec("pg_ctl", "-D", c.dir, "-w", "-t", "60", "-m", mode, "stop")
}

// URL is the cluster's postgres database, as the superuser.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// QueryString runs a query of one text value as the superuser, through
// whatever database/sql driver is registered as "postgres" (the PostGIS
// store's).
func (c *Cluster) QueryString(query string) string {
	c.t.Helper()
	db, err := sql.Open("postgres", c.URL())
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	var out sql.NullString
	if err := db.QueryRow(query).Scan(&out); err != nil {
		c.t.Fatalf("%s on port %d: %v", query, c.port, err)
	}
	return out.String
}
