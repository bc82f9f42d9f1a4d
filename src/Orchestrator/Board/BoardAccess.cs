using Microsoft.AspNetCore.Http;

namespace Orchestrator.Board;

/// <summary>
/// Who may see the board: the holder of the MCP endpoint's bearer token, presented in an <c>Authorization</c> header,
/// in the board's cookie, or once in the page's URL (<c>?token=</c>) or its form, after which it lives in an HttpOnly,
/// SameSite=Strict cookie and the URL is stripped of it. The token is never logged nor written into a page.
/// </summary>
internal static class BoardAccess
{
    public const string CookieName = "orchestrator_board";

    public static bool Admitted(HttpRequest request, IBoardGuard guard)
    {
        if (!guard.TokenRequired) return true;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && guard.Admits(authorization["Bearer ".Length..].Trim()))
            return true;
        return request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0 && guard.Admits(cookie);
    }

    /// <summary>Keeps an admitted token in the board's cookie: never readable by script, never sent by another site.</summary>
    public static void KeepInCookie(HttpResponse response, string token) =>
        response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = BoardEndpoint.Prefix,
            IsEssential = true,
        });
}
