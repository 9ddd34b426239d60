package partner

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// BenchmarkReader reads synthetic rows in DESIGN.md's mapping (National
// Grid coordinates, seven flags, an offender to pseudonymise): the reader's
// share of the 150,000 rows/s import target.
func BenchmarkReader(b *testing.B) {
	m, err := ParseMapping([]byte(designMapping))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString("Ref,Occurred,Easting,Northing,Type,Street,Homeless,Street lifestyle,DA,VAWG,Under 18,Prevent,Knife,Premises ID,Offender Ref\n")
	const n = 100000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&buf, "SYN-%07d,%02d/%02d/2024 %02d:%02d,%d,%d,Violence,Synthetic Street %d,n,%s,,,,,,PRM-%03d,ZZ-SYN-%05d\n",
			i, 1+i%28, 1+i%12, i%24, i%60, 455000+i%7000, 300000+i%9000, i%500, []string{"y", ""}[i%2], i%300, i%20000)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), "bench.csv", m, Options{Key: testKey, Latest: geo.NewMonth(2024, 12)})
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		if rows != n {
			b.Fatalf("%d rows", rows)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
