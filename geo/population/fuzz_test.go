package population

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

func FuzzRead(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, string(filepath.Separator)+"fuzz"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil {
			f.Add(data)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pop, err := Read(bytes.NewReader(data), "fuzz")
		if err != nil {
			var pe *ParseError
			if pop != nil || !errors.Is(err, geo.ErrInvalid) || !errors.As(err, &pe) {
				t.Errorf("got %v with error %v; want no map and a ParseError matching geo.ErrInvalid", pop, err)
			}
			return
		}
		if len(pop) == 0 {
			t.Error("no error and no populations")
		}
		for code, n := range pop {
			if code == "" || strings.TrimSpace(code) != code || n < 0 {
				t.Errorf("bad entry %q: %d", code, n)
			}
		}
	})
}
