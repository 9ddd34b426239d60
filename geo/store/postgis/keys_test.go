package postgis

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo/access"
)

// TestAuditAppendOnly: the database itself refuses to change or remove an
// audit entry, whatever statement reaches it.
func TestAuditAppendOnly(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	ctx := context.Background()
	if err := st.Audit(ctx, access.Entry{Time: time.Now(), KeyID: "k", Method: "GET", Path: "/api/v1/incidents", Rows: 3}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE {s}.audit_log SET rows = 0`,
		`DELETE FROM {s}.audit_log`,
		`TRUNCATE {s}.audit_log`,
	} {
		_, err := st.db.ExecContext(ctx, st.q(stmt))
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v; want the append-only refusal", stmt, err)
		}
	}
	log, err := st.AuditLog(ctx, time.Time{})
	if err != nil || len(log) != 1 || log[0].Rows != 3 {
		t.Errorf("audit log after the attempts = %+v, %v; want the one entry unchanged", log, err)
	}
}
