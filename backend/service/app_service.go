package service

// AppService is the bound facade for application-wide questions (who am I, which version, the remembered settings) and,
// for now, the backend side of packet decoding.
type AppService struct {
	settings *settingsKeeper
}

// NewAppService returns the service, its settings read from the user's data directory.
func NewAppService() *AppService {
	return NewAppServiceWithSettings(settingsPathDefault())
}

// NewAppServiceWithSettings returns the service keeping its settings in the file at path
// ("" keeps them in memory for this run only).
func NewAppServiceWithSettings(path string) *AppService {
	return &AppService{settings: newSettingsKeeper(path)}
}

// Version returns the application version.
func (s *AppService) Version() string {
	return Version
}

// Info describes the running application.
func (s *AppService) Info() AppInfo {
	return AppInfo{Name: ProductName, Version: Version}
}
