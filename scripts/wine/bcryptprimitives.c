// Test-only stand-in for Windows 10's bcryptprimitives.dll, for scripts/test-wine.sh.
//
// Go >= 1.22 Windows binaries take their random numbers from ProcessPrng in
// bcryptprimitives.dll, which wine 8.0 (Debian 12) does not have: they die at start-up with
// "fatal error: bcryptprimitives.dll not found". This DLL exports ProcessPrng on top of
// BCryptGenRandom, which wine does implement. It is copied into the throwaway wine prefix's
// system32 only; it is never packaged.
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
	// BCryptGenRandom takes a ULONG length; SIZE_T may be larger.
	while (len > 0) {
		ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) {
			return FALSE;
		}
		data += chunk;
		len -= chunk;
	}
	return TRUE;
}
