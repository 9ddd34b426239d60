// Package partner reads the partnership's own records — police incident
// logs, council ASB cases, business-crime and community reports — from CSV
// exports with their own column names, as DESIGN.md's "Partner records"
// describes: a mapping file (ParseMapping) names the columns, a Reader
// turns each row into a Record or a *ParseError (kept like police.uk
// rejects), and a PremisesReader reads the premises register.
//
// Rows are read as geo/policeuk reads them (shared in geo/internal/csvin):
// a bad row is rejected with file, line, field and reason and the next row
// is read; a field over 64 KiB, or holding bytes that are not UTF-8 text,
// rejects the row; a quoted field still open at the end of the file refuses
// the file, naming the line where it opened; a header lacking a mapped
// column refuses the file naming the column and its mapping key. Columns
// the mapping does not name are ignored. A row is rejected when its id or
// category is blank, its time does not match the layout or falls in a
// month before 2010-01 or after the current one, a coordinate is not a
// plain decimal number in range (or only one of the pair is given), or a
// flag cell is not one of y, yes, true, 1 / n, no, false, 0 / empty (any
// case). Both coordinates blank is a record without a location, as
// police.uk's "No Location" rows.
//
// # Local time and the two DST changes
//
// The occurred column is wall-clock time in Europe/London. It becomes an
// instant (Record.Occurred) and a local month, weekday and hour. Twice a
// year the wall clock is not one-to-one with instants, and each case is
// handled on purpose (Record.Clock says which applied):
//
//   - The repeated autumn hour (e.g. 2024-10-27 01:30 happens at 00:30 UTC
//     in BST and again at 01:30 UTC in GMT): the FIRST instant, in BST, is
//     taken and the record is marked ClockRepeated. The export cannot say
//     which was meant; the local month, weekday and hour — which every
//     analysis uses — are the same either way, so only the instant's order
//     among that hour's records is at stake, and "first" is the reading a
//     person logging in real time most often meant.
//   - The missing spring hour (e.g. 2024-03-31 01:30 never happened: clocks
//     go from 01:00 GMT to 02:00 BST): the row is KEPT, read with the
//     offset in force just before the change (GMT), so 01:30 becomes
//     01:30 UTC = 02:30 BST, local hour 2, and the record is marked
//     ClockSkipped. Such a time is almost always a clock or a person not
//     yet moved forward; rejecting it would drop real incidents from the
//     busiest night-time-economy hours (the change falls early on a Sunday
//     morning).
//
// The zone comes from time/tzdata, linked into this package, so it loads
// on systems without a zoneinfo database.
//
// # Offenders
//
// The offender column is never kept as it came: a Record holds only its
// pseudonym, HMAC-SHA256(key, upper-case trimmed reference), first 16 hex
// digits, lower case (Pseudonymiser). A mapping with offender and no key
// is refused (Mapping.CheckKey, NewReader). No reference reaches a Record,
// a reject, an error or a message: a rejected row's Raw has the offender
// cell blanked, and is nil when the row's fields cannot be told apart
// (malformed CSV, wrong number of fields), since any of them might then
// hold it; no reason quotes the offender cell.
//
// # Coordinates
//
// EPSG:4326 is longitude/latitude; EPSG:27700 is British National Grid
// easting/northing in metres (0–700 000, 0–1 300 000), converted to WGS 84
// by geo/osgb, within 5 m (see its accuracy notes).
package partner
