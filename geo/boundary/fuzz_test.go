package boundary

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// fuzzOptions lets the fuzzer reach both detection and explicit fields
// (those of testdata/custom.geojson among them).
var fuzzOptions = []Options{
	{},
	{Kind: geo.KindWard, CodeField: "ward_id", NameField: "label"},
	{Kind: geo.KindLSOA},
	{CodeField: "WD22CD"},
}

func FuzzRead(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, string(filepath.Separator)+"fuzz"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i := range fuzzOptions {
			f.Add(data, uint8(i))
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		opt := fuzzOptions[int(mode)%len(fuzzOptions)]
		areas, err := Read(bytes.NewReader(data), "fuzz", opt)
		if err != nil {
			if areas != nil {
				t.Errorf("areas returned with error %v", err)
			}
			var e *Error
			if !errors.Is(err, geo.ErrInvalid) || !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "fuzz: ") {
				t.Errorf("error %v is not a boundary.Error matching geo.ErrInvalid", err)
			}
			return
		}
		if err := checkAreas(areas); err != nil {
			t.Error(err)
		}
		for _, a := range areas {
			if opt.Kind != "" && a.Kind != opt.Kind {
				t.Errorf("%s: kind %q, want %q", a.Code, a.Kind, opt.Kind)
			}
			if strings.TrimSpace(a.Code) != a.Code {
				t.Errorf("code %q not trimmed", a.Code)
			}
		}
	})
}
