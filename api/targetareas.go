package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/geo/targetarea"
)

// Target areas (DESIGN.md, "Target areas"): partners read them and their
// evaluations; analysts draw them; only an area's owner or an admin
// changes or removes it. Areas change without the data version, so these
// answers are never served from the answer cache.

const targetAreasPath = "/api/v1/target-areas"

func (s *Server) mountTargetAreas(r *mux.Router) {
	one := targetAreasPath + "/{id}"
	r.Handle(targetAreasPath, s.handle(s.listTargetAreas)).Methods(http.MethodGet, http.MethodHead)
	r.Handle(targetAreasPath, s.handle(s.createTargetArea)).Methods(http.MethodPost)
	r.Handle(one, s.handle(s.getTargetArea)).Methods(http.MethodGet, http.MethodHead)
	r.Handle(one, s.handle(s.changeTargetArea)).Methods(http.MethodPut)
	r.Handle(one, s.handle(s.deleteTargetArea)).Methods(http.MethodDelete)
	r.Handle(one+"/evaluation", s.handle(s.evaluateTargetArea)).Methods(http.MethodGet, http.MethodHead)
}

func liveHeaders(w http.ResponseWriter, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Add("Vary", "Authorization")
}

func (s *Server) listTargetAreas(w http.ResponseWriter, r *http.Request) error {
	l, _ := s.layers.Lookup(layer.TargetAreasLayer)
	p, err := parseParams(r.URL.RawQuery, l.Params)
	if err != nil {
		return err
	}
	if p.req.Query.Priority != "" && s.an.Priority(p.req.Query.Priority) == nil {
		return badParam("priority", "unknown priority %s", strconv.Quote(truncate(p.req.Query.Priority, 40)))
	}
	req := p.req
	if req.Source, err = s.source(r.Context()); err != nil {
		return err
	}
	a, err := s.layers.Answer(r.Context(), l.Name, req)
	if err != nil {
		return err
	}
	w.Header().Set(rowsHeader, strconv.Itoa(len(a.Features)))
	if p.csv || (!p.formatGiven && wantsCSV(r)) {
		liveHeaders(w, contentCSV)
		if r.Method == http.MethodHead {
			return nil
		}
		return layer.WriteCSV(w, a)
	}
	liveHeaders(w, contentGeoJSON)
	if r.Method == http.MethodHead {
		return nil
	}
	return layer.WriteGeoJSON(w, a)
}

func (s *Server) getTargetArea(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	ta, err := s.storedArea(r)
	if err != nil {
		return err
	}
	a := layer.TargetAreaAnswer([]geo.TargetArea{ta}, layer.Request{})
	liveHeaders(w, contentGeoJSON)
	if r.Method == http.MethodHead {
		return nil
	}
	links := []map[string]string{{"href": baseURL(r) + targetAreasPath + "/" + ta.ID + "/evaluation", "rel": "evaluation", "type": contentJSON}}
	return layer.WriteItem(w, a.Schema, &a.Features[0], links)
}

// storedArea reads the area the path names; a missing one is a 404.
func (s *Server) storedArea(r *http.Request) (geo.TargetArea, error) {
	id := mux.Vars(r)["id"]
	ta, err := s.an.TargetArea(r.Context(), id)
	if errors.Is(err, geo.ErrNotFound) {
		return ta, missing("no target area %q", truncate(id, 60))
	}
	return ta, err
}

// readDraft reads and checks a request's Feature.
func (s *Server) readDraft(r *http.Request) (targetarea.Draft, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, targetarea.MaxBytes+1))
	if err != nil {
		return targetarea.Draft{}, fmt.Errorf("read the area: %w", err)
	}
	d, err := targetarea.Parse(b)
	var fe *targetarea.FieldError
	if errors.As(err, &fe) {
		return d, badParam(fe.Field, "%s", fe.Msg)
	}
	if err != nil {
		return d, err
	}
	return d, s.an.CheckTargetArea(r.Context(), d)
}

func (s *Server) areaStore() (geo.TargetAreaStore, error) {
	ts := s.an.TargetAreaStore()
	if ts == nil {
		return nil, fmt.Errorf("%w: no target areas are kept here", geo.ErrUnavailable)
	}
	return ts, nil
}

func (s *Server) createTargetArea(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.areaStore()
	if err != nil {
		return err
	}
	d, err := s.readDraft(r)
	if err != nil {
		return err
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return fmt.Errorf("area id: %w", err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	ta := areaOf(d, "ta_"+hex.EncodeToString(id[:]), callerOf(r.Context()).keyID, now)
	if err := s.auditWrite(r, targetAreasPath+"/"+ta.ID); err != nil {
		return err
	}
	if err := ts.AddTargetArea(r.Context(), ta); err != nil {
		return err
	}
	w.Header().Set("Location", targetAreasPath+"/"+ta.ID)
	w.Header().Set("Content-Type", contentJSON)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	return writeJSON(w, map[string]string{"id": ta.ID})
}

// areaOf is a drafted area as stored.
func areaOf(d targetarea.Draft, id, owner string, now time.Time) geo.TargetArea {
	return geo.TargetArea{ID: id, Name: d.Name, Priority: d.Priority, Start: d.Start, Actions: d.Actions,
		Owner: owner, Geometry: d.Geometry, Created: now, Updated: now}
}

// mayEdit refuses a caller who is neither the area's owner nor an admin.
func mayEdit(r *http.Request, ta geo.TargetArea) error {
	c := callerOf(r.Context())
	if c.role.AtLeast(access.Admin) || (c.keyID != "" && c.keyID == ta.Owner) {
		return nil
	}
	return errForbidden{"only the area's owner or an admin may change or remove it"}
}

type errForbidden struct{ msg string }

func (e errForbidden) Error() string { return e.msg }

// editableArea is the stored area a request names, once the caller is
// known to be its owner or an admin, with the store that keeps it.
func (s *Server) editableArea(r *http.Request) (geo.TargetAreaStore, geo.TargetArea, error) {
	ts, err := s.areaStore()
	if err != nil {
		return nil, geo.TargetArea{}, err
	}
	old, err := s.storedArea(r)
	if err != nil {
		return nil, geo.TargetArea{}, err
	}
	return ts, old, mayEdit(r, old)
}

func (s *Server) changeTargetArea(w http.ResponseWriter, r *http.Request) error {
	ts, old, err := s.editableArea(r)
	if err != nil {
		return err
	}
	d, err := s.readDraft(r)
	if err != nil {
		return err
	}
	ta := areaOf(d, old.ID, old.Owner, time.Now().UTC().Truncate(time.Microsecond))
	ta.Created = old.Created
	if err := s.auditWrite(r, r.URL.RequestURI()); err != nil {
		return err
	}
	if err := ts.UpdateTargetArea(r.Context(), ta); err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentJSON)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, map[string]string{"id": ta.ID})
}

func (s *Server) deleteTargetArea(w http.ResponseWriter, r *http.Request) error {
	ts, old, err := s.editableArea(r)
	if err != nil {
		return err
	}
	if err := s.auditWrite(r, r.URL.RequestURI()); err != nil {
		return err
	}
	if err := ts.DeleteTargetArea(r.Context(), old.ID); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// auditWrite records a change to target areas before it is made: a
// change the log cannot record is not made (503), as an answer the log
// cannot record is not sent.
func (s *Server) auditWrite(r *http.Request, path string) error {
	c := callerOf(r.Context())
	if s.keys.ring == nil {
		return nil
	}
	e := access.Entry{Time: time.Now().UTC(), KeyID: c.keyID, Method: r.Method, Path: path, Rows: 1}
	if err := s.keys.ring.Audit(r.Context(), e); err != nil {
		s.log.ErrorContext(r.Context(), "audit log not written; change refused", slog.Any("err", err))
		return fmt.Errorf("%w: the audit log cannot be written: %v", geo.ErrUnavailable, err)
	}
	return nil
}
