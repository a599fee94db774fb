import App
import VaporTesting
