import { render } from 'preact'
import { App, prefetchSurvey } from './app.tsx'
import { applyTheme } from './components/theme.tsx'
import './styles.css'

applyTheme()
prefetchSurvey()
render(<App />, document.getElementById('app')!)
