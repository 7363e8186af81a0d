package service

// AppService is the bound facade for application-wide questions (who am I, which version) and,
// for now, the backend side of packet decoding.
type AppService struct{}

// NewAppService returns the service.
func NewAppService() *AppService {
	return &AppService{}
}

// Version returns the application version.
func (s *AppService) Version() string {
	return Version
}

// Info describes the running application.
func (s *AppService) Info() AppInfo {
	return AppInfo{Name: ProductName, Version: Version}
}
