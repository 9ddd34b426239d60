// Package geo holds hotspot's domain types: incidents, months, categories,
// areas (wards, LSOAs, the city), H3 cells and priorities, and the Store
// interface that the embedded and PostGIS stores implement.
//
// It imports nothing of the project and only orb from outside, so that every
// other package can depend on it.
package geo
