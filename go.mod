module github.com/leicester-csp/hotspot

go 1.26.8

require (
	github.com/gorilla/mux v1.8.1
	github.com/lib/pq v1.12.3
	github.com/paulmach/orb v0.14.0
	github.com/uber/h3-go/v4 v4.1.0
	golang.org/x/image v0.48.0
)

require (
	github.com/gogo/protobuf v1.3.2 // indirect
	github.com/paulmach/protoscan v0.2.1 // indirect
	go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
