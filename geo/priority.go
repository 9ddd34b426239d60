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
