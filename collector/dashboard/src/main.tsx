import { render } from 'preact'
import { App } from './app.tsx'
import { applyTheme } from './components/theme.tsx'
import './styles.css'

applyTheme()
render(<App />, document.getElementById('app')!)
