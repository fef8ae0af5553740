package letters

import (
	"html/template"
	"math"
	"strings"

	"github.com/rollcall-go/rollcall/policy"
)

// Bar charts drawn by hand as inline SVG: no script, no font to fetch, readable printed.

// Bar is one bar of a chart.
type Bar struct {
	Label string
	Value float64
}

// Chart is a bar chart: vertical bars, one per Bar, scaled to the largest.
type Chart struct {
	Title string
	Unit  string // what a value counts: "students", "days"
	Bars  []Bar
}

// chartGeom is a chart laid out for the template.
type chartGeom struct {
	Title         string
	Unit          string
	Width, Height int
	BaseY         int
	Bars          []barGeom
	Ticks         []tickGeom
	Desc          string
}

type barGeom struct {
	Label, Value  string
	X, Y, W, H    float64
	LabelX, TextY float64
	ValueY        float64
	Raw           float64
}

type tickGeom struct {
	Y     float64
	Label string
}

const (
	chartHeight = 150 // plot area
	chartTop    = 28
	chartLeft   = 40
	chartBottom = 34
	barSlot     = 58
)

func (c Chart) geom() chartGeom {
	g := chartGeom{Title: c.Title, Unit: c.Unit}
	n := max(len(c.Bars), 1)
	g.Width = chartLeft + n*barSlot + 12
	g.Height = chartTop + chartHeight + chartBottom
	g.BaseY = chartTop + chartHeight
	top := 0.0
	for _, b := range c.Bars {
		top = max(top, b.Value)
	}
	scale := niceMax(top)
	var desc []string
	for i, b := range c.Bars {
		h := 0.0
		if scale > 0 {
			h = b.Value / scale * chartHeight
		}
		x := float64(chartLeft + i*barSlot + 8)
		g.Bars = append(g.Bars, barGeom{Label: b.Label, Value: policy.FormatNumber(round2(b.Value)), Raw: b.Value,
			X: x, W: barSlot - 16, H: round2(h), Y: round2(float64(g.BaseY) - h),
			LabelX: x + (barSlot-16)/2.0, TextY: float64(g.BaseY + 14), ValueY: round2(float64(g.BaseY) - h - 4)})
		desc = append(desc, b.Label+": "+policy.FormatNumber(round2(b.Value)))
	}
	for k := 0; k <= 2; k++ {
		v := scale * float64(k) / 2
		g.Ticks = append(g.Ticks, tickGeom{Y: round2(float64(g.BaseY) - v/max(scale, 1e-9)*chartHeight), Label: policy.FormatNumber(round2(v))})
	}
	g.Desc = c.Title + " (" + c.Unit + "): " + strings.Join(desc, "; ")
	return g
}

// niceMax rounds a chart's largest value up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

var chartTemplate = template.Must(template.New("chart").Parse(`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img" class="bars" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" aria-label="{{.Desc}}">
<title>{{.Desc}}</title>
<text class="ctitle" x="4" y="16">{{.Title}}</text>
{{range .Ticks}}<line class="grid" x1="36" x2="{{$.Width}}" y1="{{.Y}}" y2="{{.Y}}"/><text class="tick" x="32" y="{{.Y}}" dy="3" text-anchor="end">{{.Label}}</text>
{{end}}{{range .Bars}}<rect class="bar" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" data-label="{{.Label}}" data-value="{{.Raw}}"><title>{{.Label}}: {{.Value}}</title></rect><text class="val" x="{{.LabelX}}" y="{{.ValueY}}" text-anchor="middle">{{.Value}}</text><text class="lab" x="{{.LabelX}}" y="{{.TextY}}" text-anchor="middle">{{.Label}}</text>
{{end}}<line class="axis" x1="36" x2="{{.Width}}" y1="{{.BaseY}}" y2="{{.BaseY}}"/>
</svg><figcaption>{{.Unit}}</figcaption></figure>
`))

// SVG returns the chart as inline SVG, every label escaped.
func (c Chart) SVG() template.HTML {
	var b strings.Builder
	if err := chartTemplate.Execute(&b, c.geom()); err != nil {
		return template.HTML("<p>chart unavailable</p>") // never expected: the template is fixed
	}
	return template.HTML(b.String())
}
