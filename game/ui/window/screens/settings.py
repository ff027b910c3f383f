"""Settings, all by keyboard: Up and Down pick a setting, Left and Right (or Enter) change it.

Every change applies at once, so the sample text below the list shows the
new size, speed or theme, and is kept for the next run.
"""

from __future__ import annotations

import pygame

from game.session.settings import Settings
from game.ui.window.base import Screen, page_panel
from game.ui.window.widgets import Button, header, header_rows, menu_item, small_button

ROWS = (
    ("text_size", "Text size", {"small": "Small", "medium": "Medium", "large": "Large", "largest": "Largest"}),
    ("font", "Typeface", {"serif": "Serif", "sans": "Sans-serif", "dyslexic": "OpenDyslexic"}),
    ("line_spacing", "Line spacing", {"normal": "Normal", "wide": "Wide"}),
    ("letter_spacing", "Letter spacing", {"normal": "Normal", "wide": "Wide", "wider": "Wider"}),
    ("text_speed", "Typewriter", {"slow": "Slow", "normal": "Normal", "fast": "Fast", "instant": "Off"}),
    ("self_voicing", "Read aloud (V)", {False: "Off", True: "On"}),
    ("high_contrast", "High contrast", {False: "Off", True: "On"}),
    ("fullscreen", "Fullscreen", {False: "Off", True: "On"}),
    ("ui_scale", "Interface scale", {"90%": "90 %", "100%": "100 %", "125%": "125 %", "150%": "150 %"}),
)
# The preview, in sentences: as many whole ones as the window has room for are shown, never a cut one.
SAMPLE = ("Petrograd, 1922.", "The snow on the Nevsky is grey by noon,", "and the ration queue reaches the corner.",
          "Ты вернулась домой.")
SCREEN_READERS = "With a screen reader? Play in the terminal: kira play --ui terminal --plain"


class SettingsScreen(Screen):
    name = "settings"

    def layout(self) -> None:
        m = self.m
        settings = self.app.settings
        self.sheet = page_panel(self.app)
        buttons = [Button(label, lambda name=name: self.change(name, 1), value=values[getattr(settings, name)])
                   for name, label, values in ROWS]
        self.names = [name for name, _, _ in ROWS]
        self.back = Button("Back", self.app.pop)
        self.focus.set(buttons + [self.back], focus=self.focus.index if self.focus.buttons else 0)
        y = header_rows(m)[3]
        width = self.cache.size("serif", m.ui, "Back")[0] + m.px(44)
        self.back.rect = pygame.Rect(self.sheet.right - m.px(48) - width, m.height - m.px(34) - round(m.ui * 2.1),
                                     width, round(m.ui * 2.1))
        # Rows close up on a short window so that three lines of the sample and the note on screen readers
        # always show below them.
        note = len(self.cache.wrap("italic", m.small, SCREEN_READERS, self.sheet.width - m.px(96)))
        sample = round(m.body * 1.5 * self.cache.spacing) * 3 + round(m.small * 1.4) * note + m.px(48)
        row = max(round(m.ui * 1.5), min(m.row(m.ui), (self.back.rect.top - sample - y) // len(buttons) - m.px(4)))
        for button in buttons:
            button.rect = pygame.Rect(self.sheet.left + m.px(36), y, self.sheet.width - m.px(72), row)
            y += row + m.px(4)
        self.sample_top = y + m.px(16)

    def change(self, name: str, step: int) -> None:
        self.app.change_settings(self.app.settings.cycled(name, step))
        self.invalidate()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            focused = self.focus.index
            if 0 <= focused < len(self.names):
                self.change(self.names[focused], 1 if event.key == pygame.K_RIGHT else -1)
            return
        super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        m, theme, cache = self.m, self.theme, self.cache
        self.draw_backdrop(surface, self.sheet)
        x = self.sheet.left + m.px(48)
        header(surface, cache, theme, m, x, "Settings", "How the story looks",
               "Up and Down choose, Left and Right or a click change. Kept for next time.",
               width=self.sheet.width - 2 * (x - self.sheet.left))
        for button in self.focus.buttons[:-1]:
            menu_item(surface, cache, button, theme, m, button is self.focus.focused)
            if button is self.focus.focused:
                self.arrows(surface, button)
        self.sample(surface, x)
        small_button(surface, cache, self.back, theme, m, self.back is self.focus.focused)

    def arrows(self, surface: pygame.Surface, button: Button) -> None:
        """Small ‹ › marks either side of the focused value: it can be changed with Left and Right."""
        m = self.m
        width = self.cache.size("serif", m.ui, button.value)[0]
        right = button.rect.right - m.px(16)
        y = button.rect.centery - m.px(3)
        self.cache.draw(surface, "serif", m.ui, "\u2039", self.theme.soft, (right - width - m.px(10), y),
                        anchor="midright")
        self.cache.draw(surface, "serif", m.ui, "\u203a", self.theme.soft, (right + m.px(10), y), anchor="midleft")

    def sample(self, surface: pygame.Surface, x: int) -> None:
        m, theme = self.m, self.theme
        y = self.sample_top
        surface.fill(theme.rule, pygame.Rect(x, y, self.sheet.width - m.px(96), 1))
        y += m.px(16)
        width = self.sheet.width - m.px(96)
        note = self.cache.wrap("italic", m.small, SCREEN_READERS, width)
        note_step = round(m.small * 1.4)
        limit = self.back.rect.top - m.px(12) - len(note) * note_step - m.px(8)  # the note always has its room
        step = round(m.body * 1.5 * self.cache.spacing)
        room = 1 + (limit - y - round(m.body * 1.3)) // step  # the last line needs only its own height
        for line in self.sample_lines(width, room):
            self.cache.draw(surface, "serif", m.body, line, theme.ink, (x, y), tracking=self.cache.letters(m.body))
            y += step
        y += m.px(8)
        for line in note:
            self.cache.draw(surface, "italic", m.small, line, theme.soft, (x, y))
            y += note_step

    def sample_lines(self, width: int, room: int) -> list[str]:
        """The preview wrapped at the reading settings: the most whole sentences that fit ``room`` lines."""
        letters = self.cache.letters(self.m.body)
        for count in range(len(SAMPLE), 0, -1):
            lines = self.cache.wrap("serif", self.m.body, " ".join(SAMPLE[:count]), width, letters)
            if len(lines) <= room:
                return lines
        return []

    def scripted(self) -> None:
        self.app.pop()


def describe(settings: Settings) -> str:
    """The settings in one line, for tests and logs."""
    return ", ".join(f"{label}: {values[getattr(settings, name)]}" for name, label, values in ROWS)
