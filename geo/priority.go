package geo

// Priority is a Community Safety Partnership priority: a named set of
// crime types, optionally limited to an area (wards). Priorities are
// configuration; these are the built-ins of the Leicester CSP plan.
type Priority struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	// Area names the wards (by name or code) the priority is limited to;
	// empty means the whole city.
	Area []string `json:"area,omitempty"`
	// Description says what the partnership measures with it.
	Description string `json:"description,omitempty"`
	// Source, Flags, Days and Hours, when set, fix those filters for the
	// priority (DESIGN.md, "Partner records"): e.g. a night-time economy
	// priority of one local source, hours 20-04.
	Source string   `json:"source,omitempty"`
	Flags  []string `json:"flags,omitempty"`
	Days   string   `json:"days,omitempty"`
	Hours  string   `json:"hours,omitempty"`
}

// BuiltinPriorities returns the three priorities of the CSP plan.
func BuiltinPriorities() []Priority {
	return []Priority{
		{
			ID:          "city-centre-violence",
			Name:        "City centre violent crime",
			Categories:  []string{"Violence and sexual offences", "Robbery", "Possession of weapons"},
			Area:        []string{"Castle"},
			Description: "Serious violence and robbery in the city centre; a safe night-time economy, especially for women and girls.",
		},
		{
			ID:          "asb",
			Name:        "Anti-social behaviour",
			Categories:  []string{"Anti-social behaviour"},
			Description: "ASB linked to homelessness and street lifestyles, nuisance premises and community-reported ASB.",
		},
		{
			ID:          "retail-crime",
			Name:        "Business (retail) crime",
			Categories:  []string{"Shoplifting"},
			Description: "Retail crime and repeat retail offenders.",
		},
	}
}

// Measure is a figure the partnership reports each quarter besides its
// priorities (robbery in the city centre, shoplifting): the same
// selection as a priority, from a source, with flags that must hold, and
// the direction the partnership wants it to go.
type Measure struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	Area       []string `json:"area,omitempty"`
	// Source is where the records come from: "" or "policeuk" today.
	Source string `json:"source,omitempty"`
	// Flags must all hold on a record (partner sources only; none today).
	Flags []string `json:"flags,omitempty"`
	// Goal is GoalReduce, or "" for a figure watched without a target.
	Goal string `json:"goal,omitempty"`
}

// GoalReduce is a measure the partnership wants to fall.
const GoalReduce = "reduce"

// BuiltinMeasures returns the quarterly measures shipped with the plan:
// the figures a CSP board asks about beside the three priorities.
func BuiltinMeasures() []Measure {
	return []Measure{
		{ID: "city-centre-robbery", Name: "Robbery in the city centre", Categories: []string{"Robbery"}, Area: []string{"Castle"}, Source: "policeuk", Goal: GoalReduce},
		{ID: "city-centre-asb", Name: "Anti-social behaviour in the city centre", Categories: []string{"Anti-social behaviour"}, Area: []string{"Castle"}, Source: "policeuk", Goal: GoalReduce},
		{ID: "city-centre-shoplifting", Name: "Shoplifting in the city centre", Categories: []string{"Shoplifting"}, Area: []string{"Castle"}, Source: "policeuk", Goal: GoalReduce},
		{ID: "weapons", Name: "Possession of weapons, whole city", Categories: []string{"Possession of weapons"}, Source: "policeuk", Goal: GoalReduce},
		{ID: "burglary", Name: "Burglary, whole city", Categories: []string{"Burglary"}, Source: "policeuk", Goal: GoalReduce},
	}
}
